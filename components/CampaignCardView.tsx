import type { CampaignCard } from '../lib/knowledge/card';
import type { CitationSource } from '../lib/panel/markdown';
import { CardLink, CardSection, ExpandableList, type OpenCard, ProcedureList } from './CardParts';
import { Description } from './Description';
import { References } from './Markdown';
import { useCardText } from './useCardText';

function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : 'unknown';
}

/** An ATT&CK campaign: when, who it is attributed to, techniques and software used. */
export function CampaignCardView({ card, onOpen }: { card: CampaignCard; onOpen: OpenCard }) {
  const { trees, references } = useCardText(
    [card.description],
    (card as { references?: CitationSource[] }).references,
  );
  const prefix = `ref-${card.id}`;
  return (
    <>
      <dl class="facts">
        <dt>Active</dt>
        <dd>
          {day(card.firstSeen)} to {day(card.lastSeen)}
        </dd>
        {card.groups.length > 0 ? (
          <>
            <dt>Attributed to</dt>
            <dd>
              <ExpandableList
                items={card.groups}
                label="Attributed groups"
                render={(g) => <CardLink item={g} onOpen={onOpen} />}
              />
            </dd>
          </>
        ) : null}
      </dl>
      <Description
        nodes={trees[0] ?? []}
        length={card.description.length}
        refPrefix={prefix}
        onOpenCard={onOpen}
      />
      <CardSection title="Techniques used" count={card.counts.techniques} id="sec-techniques">
        <ProcedureList items={card.techniques} onOpen={onOpen} label="Techniques" prefix={`${prefix}-t`} />
      </CardSection>
      {card.software.length > 0 ? (
        <CardSection title="Software used" count={card.counts.software} id="sec-software">
          <ProcedureList items={card.software} onOpen={onOpen} label="Software" prefix={`${prefix}-s`} />
        </CardSection>
      ) : null}
      <References items={references} refPrefix={prefix} />
    </>
  );
}
