import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One value a running normalisation is writing (an unlogged table): later jobs in any worker process write that
 * value only after the claiming job has ended, so jobs wait for each other in the order they claimed.
 */
@Entity({ name: 'normalisation_claims' })
@Index('IDX_normalisation_claims_claim', ['claim'])
@Index('IDX_normalisation_claims_claimed_at', ['claimedAt'])
export class NormalisationClaimEntity {
  /** The STIX id of the value (its indicator). */
  @PrimaryColumn({ name: 'value_id', type: 'text' })
  valueId: string;

  /** One normalisation attempt; its transaction holds the advisory lock named after it until it ends. */
  @PrimaryColumn({ type: 'uuid' })
  claim: string;

  @Column({ name: 'claimed_at', type: 'timestamptz', default: () => 'now()' })
  claimedAt: Date;
}
