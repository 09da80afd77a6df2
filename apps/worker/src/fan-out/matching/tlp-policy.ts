import { TlpLevel } from '@vigia/indicators';

/** Something shared under TLP: who owns it, its level, and (for AMBER+STRICT and RED) whom it was shared with. */
export interface TlpScoped {
  ownerId: string | null;
  tlp: string;
  tlpRecipients: readonly string[];
}

/**
 * May `organisationId` see it? TLP:CLEAR, GREEN and AMBER go to the network's members (the network is the
 * community, the recipients its owner shared with). AMBER+STRICT and RED go only to the organisations the owner
 * listed: AMBER+STRICT limits sharing to the recipient organisation itself, so without a list nobody else may see
 * it. The owner always may. An unknown marking is never shared.
 */
export function mayAccess(scoped: TlpScoped, organisationId: string): boolean {
  if (organisationId === scoped.ownerId) return true;
  switch (scoped.tlp as TlpLevel) {
    case TlpLevel.Clear:
    case TlpLevel.Green:
    case TlpLevel.Amber:
      return true;
    case TlpLevel.AmberStrict:
    case TlpLevel.Red:
      return scoped.tlpRecipients.includes(organisationId);
    default:
      return false;
  }
}
