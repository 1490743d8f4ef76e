import type { ComponentChildren } from 'preact';
import type { TechniqueCard } from '../lib/knowledge/card';
import type { Countermeasure } from '../lib/knowledge/d3fend';
import type { CitationSource } from '../lib/panel/markdown';
import {
  CardLink,
  CardSection,
  ExpandableList,
  ExternalLink,
  type OpenCard,
  ProcedureList,
} from './CardParts';
import { Description } from './Description';
import { Markdown, References } from './Markdown';
import { useCardText } from './useCardText';

export interface TechniqueCardViewProps {
  card: TechniqueCard;
  onOpen: OpenCard;
  /** The "Next likely moves" section (rendered by the caller when hints are available). */
  nextMoves?: ComponentChildren;
  /** Per-countermeasure controls (e.g. an "Apply" button from the actions feature). */
  countermeasureActions?: (countermeasure: Countermeasure) => ComponentChildren;
}

/** Everything the knowledge returns for a technique. Presentational. */
export function TechniqueCardView({
  card,
  onOpen,
  nextMoves,
  countermeasureActions,
}: TechniqueCardViewProps) {
  const sources = (card as { references?: CitationSource[] }).references;
  const { trees, references } = useCardText([card.description, card.detection], sources);
  const prefix = `ref-${card.id}`;
  return (
    <>
      <dl class="facts">
        <dt>Tactics</dt>
        <dd>
          <ul class="chips" aria-label="Tactics">
            {card.tactics.map((t) => (
              <li key={t.id} data-tactic={t.shortname}>
                <CardLink item={t} onOpen={onOpen} showId={false} />
              </li>
            ))}
          </ul>
        </dd>
        {card.platforms.length > 0 ? (
          <>
            <dt>Platforms</dt>
            <dd>{card.platforms.join(', ')}</dd>
          </>
        ) : null}
        {card.parent ? (
          <>
            <dt>Sub-technique of</dt>
            <dd>
              <CardLink item={card.parent} onOpen={onOpen} />
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

      {card.subtechniques.length > 0 ? (
        <CardSection title="Sub-techniques" count={card.counts.subtechniques} id="sec-subtechniques">
          <ExpandableList
            items={card.subtechniques}
            label="Sub-techniques"
            render={(s) => <CardLink item={s} onOpen={onOpen} />}
          />
        </CardSection>
      ) : null}

      {nextMoves}

      <CardSection title="Mitigations" count={card.counts.mitigations} id="sec-mitigations">
        {card.mitigations.length > 0 ? (
          <ProcedureList
            items={card.mitigations}
            onOpen={onOpen}
            label="Mitigations"
            prefix={`${prefix}-m`}
          />
        ) : (
          <p class="muted">ATT&amp;CK lists no mitigation for this technique.</p>
        )}
      </CardSection>

      <CardSection
        title="D3FEND countermeasures"
        count={card.counts.countermeasures}
        id="sec-countermeasures"
      >
        {!card.d3fendLoaded ? (
          <p class="muted">D3FEND is not imported: update the knowledge to see countermeasures.</p>
        ) : card.countermeasures.length === 0 ? (
          <p class="muted">D3FEND relates no countermeasure to this technique.</p>
        ) : (
          card.countermeasures.map((group) => (
            <div key={group.tactic} class="d3-group" data-d3fend-tactic={group.tactic}>
              <h4>
                {group.tactic} <span class="count">{group.countermeasures.length}</span>
              </h4>
              <ExpandableList
                items={group.countermeasures}
                label={`${group.tactic} countermeasures`}
                limit={6}
                class="plain-list countermeasures"
                render={(c) => (
                  <div class="countermeasure" data-d3fend-id={c.id}>
                    <CardLink item={c} onOpen={onOpen} />
                    {countermeasureActions?.(c)}
                    {c.paths[0] ? (
                      <p class="path muted">
                        {c.paths[0].text}
                        {c.pathCount > 1 ? ` (and ${c.pathCount - 1} more)` : ''}
                      </p>
                    ) : null}
                  </div>
                )}
              />
            </div>
          ))
        )}
      </CardSection>

      <CardSection title="Detection" count={card.counts.detectionStrategies} id="sec-detection">
        {card.detectionStrategies.length === 0 && !card.detection ? (
          <p class="muted">ATT&amp;CK gives no detection strategy for this technique.</p>
        ) : null}
        <ExpandableList
          items={card.detectionStrategies}
          label="Detection strategies"
          limit={4}
          render={(strategy) => (
            <details class="strategy">
              <summary>
                <span class="mono id">{strategy.id}</span> {strategy.name}{' '}
                <span class="count">{strategy.analytics.length} analytics</span>
              </summary>
              <ul class="plain-list analytics">
                {strategy.analytics.map((a) => (
                  <li key={a.id} class="analytic">
                    <div>
                      <span class="mono id">{a.id}</span> {a.platforms.join(', ') || a.name}
                    </div>
                    {a.logSources.length > 0 ? (
                      <ul class="log-sources" aria-label={`Log sources of ${a.id}`}>
                        {a.logSources.map((l) => (
                          <li key={`${l.name}|${l.channel}`}>
                            <span class="mono">{l.name}</span>
                            {l.channel ? <span class="muted"> · {l.channel}</span> : null}
                            {l.dataComponent ? <span class="muted"> ({l.dataComponent.name})</span> : null}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </li>
                ))}
              </ul>
              {strategy.url ? (
                <ExternalLink href={strategy.url}>Strategy on attack.mitre.org</ExternalLink>
              ) : null}
            </details>
          )}
        />
        {card.detection ? <Markdown nodes={trees[1] ?? []} refPrefix={prefix} onOpenCard={onOpen} /> : null}
      </CardSection>

      <CardSection title="Groups using it" count={card.counts.groups} id="sec-groups">
        {card.groups.length > 0 ? (
          <ProcedureList items={card.groups} onOpen={onOpen} label="Groups" prefix={`${prefix}-g`} />
        ) : (
          <p class="muted">No group is known to use it.</p>
        )}
      </CardSection>
      <CardSection title="Software using it" count={card.counts.software} id="sec-software">
        {card.software.length > 0 ? (
          <ProcedureList
            items={card.software}
            onOpen={onOpen}
            label="Software"
            prefix={`${prefix}-s`}
            extra={(s) => <span class="tag">{(s as { softwareType?: string }).softwareType}</span>}
          />
        ) : (
          <p class="muted">No software is known to use it.</p>
        )}
      </CardSection>
      <CardSection title="Campaigns using it" count={card.counts.campaigns} id="sec-campaigns">
        {card.campaigns.length > 0 ? (
          <ProcedureList items={card.campaigns} onOpen={onOpen} label="Campaigns" prefix={`${prefix}-c`} />
        ) : (
          <p class="muted">No campaign is known to use it.</p>
        )}
      </CardSection>

      <References items={references} refPrefix={prefix} />
    </>
  );
}
