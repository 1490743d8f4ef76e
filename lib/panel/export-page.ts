import { indicatorsToCsv } from '../export/csv';
import { downloadText } from '../export/download';
import { type LayerHint, pageToNavigatorLayer } from '../export/navigator';
import { exportFileName, type PageExport } from '../export/page-context';
import { indicatorsToStixBundle } from '../export/stix';

/** The panel's export buttons: build the file, save it, and say in words what was saved. */
export interface PanelExport extends PageExport {
  attackVersion: string | null;
  hints: readonly LayerHint[];
}

export type ExportFormat = 'csv' | 'stix' | 'navigator';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export async function exportPage(
  format: ExportFormat,
  page: PanelExport,
  save: (name: string, mime: string, text: string) => void = downloadText,
): Promise<string> {
  if (format === 'csv') {
    const name = exportFileName(page, 'csv');
    save(name, 'text/csv;charset=utf-8', indicatorsToCsv(page));
    return `Saved ${plural(page.indicators.length, 'indicator')} as ${name}.`;
  }
  if (format === 'stix') {
    const { bundle, skipped } = await indicatorsToStixBundle(page);
    const name = exportFileName(page, 'stix.json');
    save(name, 'application/stix+json;version=2.1', `${JSON.stringify(bundle, null, 2)}\n`);
    const indicators = bundle.objects.filter((o) => o.type === 'indicator').length;
    const vulns = bundle.objects.filter((o) => o.type === 'vulnerability').length;
    const left = page.indicators.filter(
      (i) => i.type.startsWith('attack_') || i.type === 'd3fend_technique',
    ).length;
    const parts = [`Saved ${plural(indicators, 'STIX indicator')}`];
    if (vulns) parts.push(`${plural(vulns, 'vulnerability', 'vulnerabilities')}`);
    let text = `${parts.join(' and ')} as ${name}.`;
    if (skipped.btc)
      text += ` ${plural(skipped.btc, 'Bitcoin address', 'Bitcoin addresses')} left out (no STIX pattern).`;
    if (left) text += ` ATT&CK / D3FEND ids go to the Navigator export.`;
    return text;
  }
  const layer = pageToNavigatorLayer(page, { attackVersion: page.attackVersion, hints: page.hints });
  const name = exportFileName(page, 'layer.json');
  save(name, 'application/json', `${JSON.stringify(layer, null, 2)}\n`);
  const seen = page.indicators.filter((i) => i.type === 'attack_technique').length;
  return `Saved a Navigator layer with ${plural(seen, 'technique')} seen${page.hints.length ? ` and ${plural(page.hints.length, 'likely next move')}` : ''} as ${name}.`;
}
