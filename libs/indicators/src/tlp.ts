/** FIRST Traffic Light Protocol 2.0 levels, lower-case as written in TLP 2.0 ("TLP:AMBER+STRICT"). */
export enum TlpLevel {
  Clear = 'clear',
  Green = 'green',
  Amber = 'amber',
  AmberStrict = 'amber+strict',
  Red = 'red',
}

export const TLP_LEVELS: readonly TlpLevel[] = Object.values(TlpLevel);
