import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Card } from '../lib/knowledge/card';
import type { Countermeasure } from '../lib/knowledge/d3fend';
import type { CardView } from '../lib/panel/card-model';
import { CampaignCardView } from './CampaignCardView';
import { ExternalLink, type OpenCard } from './CardParts';
import { D3fendCardView } from './D3fendCardView';
import { GroupCardView } from './GroupCardView';
import { MitigationCardView, TacticCardView } from './MitigationCardView';
import { SoftwareCardView } from './SoftwareCardView';
import { TechniqueCardView } from './TechniqueCardView';

export interface CardPanelProps {
  view: CardView;
  canGoBack: boolean;
  onBack: () => void;
  onClose: () => void;
  onOpen: OpenCard;
  /** "Next likely moves" for a technique card, rendered by the caller. */
  nextMoves?: ComponentChildren;
  countermeasureActions?: (countermeasure: Countermeasure) => ComponentChildren;
}

const KIND_LABELS: Record<Card['kind'], string> = {
  technique: 'Technique',
  tactic: 'Tactic',
  group: 'Group',
  software: 'Software',
  campaign: 'Campaign',
  mitigation: 'Mitigation',
  d3fend: 'D3FEND technique',
};

/** One knowledge card with its navigation (Back, Close) and honest loading / unknown / error states. */
export function CardPanel({
  view,
  canGoBack,
  onBack,
  onClose,
  onOpen,
  nextMoves,
  countermeasureActions,
}: CardPanelProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const readyId = view.state === 'ready' ? view.card.id : undefined;
  useEffect(() => {
    // Move focus to the new card's title so keyboard and screen-reader users land on it.
    if (readyId) heading.current?.focus();
  }, [readyId]);

  return (
    <article
      class="card"
      aria-busy={view.state === 'loading'}
      data-card-id={view.id}
      onKeyDown={(event) => {
        // Escape goes back, like the Back button (but not while a details summary or a field has it).
        if (event.key === 'Escape' && !(event.target as HTMLElement).closest('input, textarea, select')) {
          event.preventDefault();
          onBack();
        }
      }}
    >
      <nav class="card-nav" aria-label="Card navigation">
        <button
          type="button"
          onClick={onBack}
          aria-label={canGoBack ? 'Back to the previous card' : 'Back to this page'}
        >
          ← Back
        </button>
        <button type="button" class="linklike" onClick={onClose}>
          Close
        </button>
      </nav>
      {view.state === 'loading' ? <p class="empty">Loading {view.id}…</p> : null}
      {view.state === 'missing' ? (
        <p class="empty" role="status">
          {view.id} is not in the local knowledge. It may be newer than the imported ATT&amp;CK / D3FEND
          release, or the knowledge has not been imported yet.
        </p>
      ) : null}
      {view.state === 'error' ? (
        <p class="error" role="alert">
          Could not read the card of {view.id}: {view.error}
        </p>
      ) : null}
      {view.state === 'ready' ? (
        <CardBody
          card={view.card}
          heading={heading}
          onOpen={onOpen}
          nextMoves={nextMoves}
          countermeasureActions={countermeasureActions}
        />
      ) : null}
    </article>
  );
}

function CardBody({
  card,
  heading,
  onOpen,
  nextMoves,
  countermeasureActions,
}: {
  card: Card;
  heading: RefObject<HTMLHeadingElement | null>;
  onOpen: OpenCard;
  nextMoves?: ComponentChildren;
  countermeasureActions?: ((countermeasure: Countermeasure) => ComponentChildren) | undefined;
}) {
  const site = card.kind === 'd3fend' ? 'd3fend.mitre.org' : 'attack.mitre.org';
  return (
    <>
      <header class="card-head">
        <p class="kind" data-kind={card.kind}>
          {KIND_LABELS[card.kind]}
          {card.status !== 'current' ? <span class="tag warn">{card.status}</span> : null}
        </p>
        <h2 ref={heading} tabIndex={-1}>
          <span class="mono id">{card.id}</span> {card.name}
        </h2>
        {card.resolvedFrom ? (
          <p class="notice" role="note">
            {card.resolvedFrom.notice}
          </p>
        ) : null}
        {card.url ? <ExternalLink href={card.url}>{`Open on ${site}`}</ExternalLink> : null}
      </header>
      {card.kind === 'technique' ? (
        <TechniqueCardView
          card={card}
          onOpen={onOpen}
          nextMoves={nextMoves}
          countermeasureActions={countermeasureActions}
        />
      ) : card.kind === 'group' ? (
        <GroupCardView card={card} onOpen={onOpen} />
      ) : card.kind === 'software' ? (
        <SoftwareCardView card={card} onOpen={onOpen} />
      ) : card.kind === 'campaign' ? (
        <CampaignCardView card={card} onOpen={onOpen} />
      ) : card.kind === 'mitigation' ? (
        <MitigationCardView card={card} onOpen={onOpen} />
      ) : card.kind === 'tactic' ? (
        <TacticCardView card={card} onOpen={onOpen} />
      ) : (
        <D3fendCardView card={card} onOpen={onOpen} />
      )}
    </>
  );
}
