import { registerDecorator, ValidationOptions } from 'class-validator';

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
// One RGI emoji (incl. ZWJ families, flags, keycaps, skin tones): the `v` flag's property of strings.
const ONE_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
// Text-style pictographs (☺, ❤ without VS16) that WhatsApp still shows as emoji.
const PICTOGRAPH = /^\p{Extended_Pictographic}\uFE0F?$/u;

/** A reaction is exactly one emoji (one grapheme, and that grapheme an emoji), or '' to remove ours. */
export function isReaction(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (value === '') return true;
  if (value.length > 32) return false;
  const graphemes = [...segmenter.segment(value)];
  if (graphemes.length !== 1) return false;
  return ONE_EMOJI.test(value) || PICTOGRAPH.test(value);
}

export function IsReaction(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isReaction',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be one emoji, or an empty string to remove the reaction`, ...options },
      validator: { validate: (value: unknown) => isReaction(value) },
    });
}
