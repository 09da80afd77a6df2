import { shortNameOf } from './application.mapper';

describe('shortNameOf', () => {
  it.each([
    ['CERT Ñandú', 'PY', 'cert-nandu'],
    ['  CSIRT-Gob  (Perú) ', 'PE', 'csirt-gob-peru'],
    ['CERT.br', 'BR', 'cert-br'],
    ['Équipe de réponse aux incidents de sécurité informatique nationale', 'FR', 'equipe-de-reponse-aux-incidents'],
    ['東京', 'JP', 'csirt-jp'],
  ])('%p in %p → %p', (team, country, expected) => {
    const name = shortNameOf(team, country);
    expect(name).toBe(expected);
    expect(name).toMatch(/^[a-z0-9][a-z0-9-]{1,31}$/);
  });
});
