import type { SoftwareCard } from '../lib/knowledge/card';
import type { CitationSource } from '../lib/panel/markdown';
import { CardSection, type OpenCard, ProcedureList } from './CardParts';
import { Description } from './Description';
import { References } from './Markdown';
import { useCardText } from './useCardText';

/** ATT&CK software (malware or tool): techniques it implements, groups and campaigns using it. */
export function SoftwareCardView({ card, onOpen }: { card: SoftwareCard; onOpen: OpenCard }) {
  const { trees, references } = useCardText(
    [card.description],
    (card as { references?: CitationSource[] }).references,
  );
  const prefix = `ref-${card.id}`;
  const aliases = card.aliases.filter((a) => a !== card.name);
  return (
    <>
      <dl class="facts">
        <dt>Type</dt>
        <dd>{card.softwareType === 'malware' ? 'Malware' : 'Tool'}</dd>
        {aliases.length > 0 ? (
          <>
            <dt>Also known as</dt>
            <dd>{aliases.join(', ')}</dd>
          </>
        ) : null}
        {card.platforms.length > 0 ? (
          <>
            <dt>Platforms</dt>
            <dd>{card.platforms.join(', ')}</dd>
          </>
        ) : null}
      </dl>
      <Description
        nodes={trees[0] ?? []}
        length={card.description.length}
        refPrefix={prefix}
        onOpenCard={onOpen}
      />
      <CardSection title="Techniques" count={card.counts.techniques} id="sec-techniques">
        <ProcedureList items={card.techniques} onOpen={onOpen} label="Techniques" prefix={`${prefix}-t`} />
      </CardSection>
      <CardSection title="Groups using it" count={card.counts.groups} id="sec-groups">
        {card.groups.length > 0 ? (
          <ProcedureList items={card.groups} onOpen={onOpen} label="Groups" prefix={`${prefix}-g`} />
        ) : (
          <p class="muted">No group is known to use it.</p>
        )}
      </CardSection>
      {card.campaigns.length > 0 ? (
        <CardSection title="Campaigns using it" count={card.counts.campaigns} id="sec-campaigns">
          <ProcedureList items={card.campaigns} onOpen={onOpen} label="Campaigns" prefix={`${prefix}-c`} />
        </CardSection>
      ) : null}
      <References items={references} refPrefix={prefix} />
    </>
  );
}
