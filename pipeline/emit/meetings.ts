// The meetings the landing page draws (timeline and network), gathered one
// article at a time as the articles arrive, with the evidence sentence of each.
import type { InteractionParticipantsRecord, InteractionsRecord } from '../records.generated.js';

const evidenceKey = (articleId: string, start: number, end: number) => `${articleId} ${start} ${end}`;

export class MeetingDigest {
  readonly interactions: InteractionsRecord[] = [];
  readonly interaction_participants: InteractionParticipantsRecord[] = [];
  private readonly evidence = new Map<string, string | null>();

  /** One interaction, its participants, and its evidence sentence (null when the texts are not published). */
  add(interaction: InteractionsRecord, participants: readonly InteractionParticipantsRecord[], evidence: string | null): void {
    this.interactions.push(interaction);
    for (const p of participants) this.interaction_participants.push(p);
    this.evidence.set(evidenceKey(interaction.article_id, interaction.start, interaction.end), evidence);
  }

  evidenceOf(articleId: string, start: number, end: number): string | null {
    return this.evidence.get(evidenceKey(articleId, start, end)) ?? null;
  }
}
