import type { MitigationCard, TacticCard } from '../lib/knowledge/card';
import type { CitationSource } from '../lib/panel/markdown';
import { CardLink, CardSection, ExpandableList, type OpenCard, ProcedureList } from './CardParts';
import { Description } from './Description';
import { References } from './Markdown';
import { useCardText } from './useCardText';

/** An ATT&CK mitigation and the techniques it mitigates, with how. */
export function MitigationCardView({ card, onOpen }: { card: MitigationCard; onOpen: OpenCard }) {
  const { trees, references } = useCardText(
    [card.description],
    (card as { references?: CitationSource[] }).references,
  );
  const prefix = `ref-${card.id}`;
  return (
    <>
      <Description
        nodes={trees[0] ?? []}
        length={card.description.length}
        refPrefix={prefix}
        onOpenCard={onOpen}
      />
      <CardSection title="Techniques it mitigates" count={card.counts.techniques} id="sec-techniques">
        <ProcedureList items={card.techniques} onOpen={onOpen} label="Techniques" prefix={`${prefix}-t`} />
      </CardSection>
      <References items={references} refPrefix={prefix} />
    </>
  );
}

/** An ATT&CK tactic and its techniques. */
export function TacticCardView({ card, onOpen }: { card: TacticCard; onOpen: OpenCard }) {
  const { trees, references } = useCardText([card.description], undefined);
  const prefix = `ref-${card.id}`;
  return (
    <>
      <Description
        nodes={trees[0] ?? []}
        length={card.description.length}
        refPrefix={prefix}
        onOpenCard={onOpen}
      />
      <CardSection title="Techniques" count={card.techniques.length} id="sec-techniques">
        <ExpandableList
          items={card.techniques}
          label="Techniques"
          limit={12}
          render={(t) => <CardLink item={t} onOpen={onOpen} />}
        />
      </CardSection>
      <References items={references} refPrefix={prefix} />
    </>
  );
}
