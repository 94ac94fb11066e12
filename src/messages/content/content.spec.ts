import { withAgentName } from './agent-name';
import { buildVcard } from './vcard';

describe('withAgentName', () => {
  it('puts the name in bold on its own first line', () => {
    expect(withAgentName('Olá!', 'Atendente João', true)).toBe('*Atendente João*:\nOlá!');
  });
  it('leaves the text alone when turned off, without a name, or without text', () => {
    expect(withAgentName('Olá!', 'João', false)).toBe('Olá!');
    expect(withAgentName('Olá!', undefined, true)).toBe('Olá!');
    expect(withAgentName('Olá!', '  ', true)).toBe('Olá!');
    expect(withAgentName(undefined, 'João', true)).toBeUndefined();
  });
  it('keeps formatting characters of the name from breaking the bold', () => {
    expect(withAgentName('x', '*Ana*\nSilva', true)).toBe('*Ana Silva*:\nx');
  });
});

describe('buildVcard', () => {
  it('writes a vCard 3.0 with the waid WhatsApp uses', () => {
    expect(buildVcard({ name: 'Maria, Souza', phone: '+55 (21) 99999-8888', organization: 'ACME; Ltda', email: 'm@acme.com' })).toBe(
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        'N:;Maria\\, Souza;;;',
        'FN:Maria\\, Souza',
        'ORG:ACME\\; Ltda;',
        'EMAIL;type=INTERNET:m@acme.com',
        'TEL;type=CELL;type=VOICE;waid=5521999998888:+5521999998888',
        'END:VCARD',
      ].join('\n'),
    );
  });
});
