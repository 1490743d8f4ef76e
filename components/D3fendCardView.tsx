import type { D3fendCard } from '../lib/knowledge/card';
import { CardLink, CardSection, ExpandableList, ExternalLink, type OpenCard } from './CardParts';
import { Description } from './Description';
import { Markdown, References } from './Markdown';
import { useCardText } from './useCardText';

/** A D3FEND defensive technique: definition, how it works, artifacts, the ATT&CK techniques it counters. */
export function D3fendCardView({ card, onOpen }: { card: D3fendCard; onOpen: OpenCard }) {
  const { trees, references } = useCardText([card.description, card.article], undefined);
  const prefix = `ref-${card.id}`;
  return (
    <>
      <dl class="facts">
        <dt>D3FEND tactic</dt>
        <dd>{card.tactic ?? 'none stated'}</dd>
        {card.parent ? (
          <>
            <dt>Kind of</dt>
            <dd>
              <CardLink item={card.parent} onOpen={onOpen} />
            </dd>
          </>
        ) : null}
        {card.synonyms.length > 0 ? (
          <>
            <dt>Also called</dt>
            <dd>{card.synonyms.join(', ')}</dd>
          </>
        ) : null}
      </dl>
      <Description
        nodes={trees[0] ?? []}
        length={card.description.length}
        refPrefix={prefix}
        onOpenCard={onOpen}
      />
      {card.article ? (
        <details class="article">
          <summary>How it works</summary>
          <Markdown nodes={trees[1] ?? []} refPrefix={prefix} onOpenCard={onOpen} />
        </details>
      ) : null}
      {card.artifacts.length > 0 ? (
        <CardSection title="Digital artifacts" count={card.artifacts.length} id="sec-artifacts">
          <ul class="plain-list">
            {card.artifacts.map((a) => (
              <li key={`${a.property}:${a.artifact.id}`}>
                <span class="muted">{a.property}</span>{' '}
                <ExternalLink href={a.artifact.url}>{a.artifact.name}</ExternalLink>
              </li>
            ))}
          </ul>
        </CardSection>
      ) : null}
      {card.children.length > 0 ? (
        <CardSection title="Narrower techniques" count={card.children.length} id="sec-children">
          <ExpandableList
            items={card.children}
            label="Narrower techniques"
            render={(c) => <CardLink item={c} onOpen={onOpen} />}
          />
        </CardSection>
      ) : null}
      <CardSection title="ATT&CK techniques it counters" count={card.counts.counters} id="sec-counters">
        {card.counters.length > 0 ? (
          <ExpandableList
            items={card.counters}
            label="Countered techniques"
            render={(t) => (
              <>
                <CardLink item={t} onOpen={onOpen} />
                {t.path ? <p class="path muted">{t.path}</p> : null}
              </>
            )}
          />
        ) : (
          <p class="muted">D3FEND relates no current ATT&amp;CK technique to it.</p>
        )}
      </CardSection>
      <References items={references} refPrefix={prefix} />
    </>
  );
}
