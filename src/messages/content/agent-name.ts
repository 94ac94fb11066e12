/**
 * How an agent's name shows to the customer on WhatsApp Web, which has no sender name of its own:
 * a bold first line, `*Agent Name*:` then the text or caption. Messages without text (sticker,
 * location, contact cards, reactions) carry no name. `showAgentName: false` sends the text as is.
 */
export function withAgentName(text: string | undefined, agentName: string | undefined, show: boolean): string | undefined {
  if (text === undefined) return undefined;
  const name = agentName?.replace(/[*_~`\r\n]+/g, ' ').trim();
  if (!show || !name) return text;
  return `*${name}*:\n${text}`;
}
