import type { GroupCard } from '../lib/knowledge/card';
import type { CitationSource } from '../lib/panel/markdown';
import { CardLink, CardSection, ExpandableList, type OpenCard, ProcedureList } from './CardParts';
import { Description } from './Description';
import { References } from './Markdown';
import { useCardText } from './useCardText';

/** An ATT&CK group: aliases, description, techniques, software and campaigns attributed to it. */
export function GroupCardView({ card, onOpen }: { card: GroupCard; onOpen: OpenCard }) {
  const { trees, references } = useCardText(
    [card.description],
    (card as { references?: CitationSource[] }).references,
  );
  const prefix = `ref-${card.id}`;
  const aliases = card.aliases.filter((a) => a !== card.name);
  return (
    <>
      {aliases.length > 0 ? (
        <dl class="facts">
          <dt>Also known as</dt>
          <dd>{aliases.join(', ')}</dd>
        </dl>
      ) : null}
      <Description
        nodes={trees[0] ?? []}
        length={card.description.length}
        refPrefix={prefix}
        onOpenCard={onOpen}
      />
      <CardSection title="Techniques used" count={card.counts.techniques} id="sec-techniques">
        <ProcedureList items={card.techniques} onOpen={onOpen} label="Techniques" prefix={`${prefix}-t`} />
      </CardSection>
      <CardSection title="Software used" count={card.counts.software} id="sec-software">
        <ProcedureList items={card.software} onOpen={onOpen} label="Software" prefix={`${prefix}-s`} />
      </CardSection>
      {card.campaigns.length > 0 ? (
        <CardSection title="Campaigns attributed" count={card.counts.campaigns} id="sec-campaigns">
          <ExpandableList
            items={card.campaigns}
            label="Campaigns"
            render={(c) => <CardLink item={c} onOpen={onOpen} />}
          />
        </CardSection>
      ) : null}
      <References items={references} refPrefix={prefix} />
    </>
  );
}
