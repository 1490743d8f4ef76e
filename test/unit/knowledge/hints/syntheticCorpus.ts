import type { HintsCorpus, HintsProfile } from '../../../../lib/knowledge/hints/index.ts';

const tactics = [
  { id: 'TA0043', shortname: 'reconnaissance', name: 'Reconnaissance' },
  { id: 'TA0001', shortname: 'initial-access', name: 'Initial Access' },
  { id: 'TA0002', shortname: 'execution', name: 'Execution' },
  { id: 'TA0003', shortname: 'persistence', name: 'Persistence' },
  { id: 'TA0007', shortname: 'discovery', name: 'Discovery' },
  { id: 'TA0040', shortname: 'impact', name: 'Impact' },
];

const group = (id: string, techniques: string[], name = `Group ${id}`): HintsProfile => ({
  id,
  name,
  kind: 'group',
  techniques,
});

/**
 * A small world with known answers:
 * - phishing (T1566.001) + user execution (T1204.002) come with scheduled tasks (T1053.005) in four groups;
 * - system information discovery (T1082) is the most used technique overall, but never with phishing;
 * - T1595 (reconnaissance) and T1657 (impact) co-occur with phishing equally often (two groups each);
 * - T1086 was revoked by T1059.001.
 */
export function syntheticCorpus(): HintsCorpus {
  return {
    tactics,
    techniques: [
      { id: 'T1566', name: 'Phishing', tactics: ['initial-access'] },
      { id: 'T1566.001', name: 'Spearphishing Attachment', tactics: ['initial-access'], parent: 'T1566' },
      { id: 'T1566.002', name: 'Spearphishing Link', tactics: ['initial-access'], parent: 'T1566' },
      { id: 'T1204', name: 'User Execution', tactics: ['execution'] },
      { id: 'T1204.002', name: 'Malicious File', tactics: ['execution'], parent: 'T1204' },
      { id: 'T1059', name: 'Command and Scripting Interpreter', tactics: ['execution'] },
      { id: 'T1059.001', name: 'PowerShell', tactics: ['execution'], parent: 'T1059' },
      { id: 'T1059.003', name: 'Windows Command Shell', tactics: ['execution'], parent: 'T1059' },
      { id: 'T1053', name: 'Scheduled Task/Job', tactics: ['execution', 'persistence'] },
      { id: 'T1053.005', name: 'Scheduled Task', tactics: ['execution', 'persistence'], parent: 'T1053' },
      { id: 'T1082', name: 'System Information Discovery', tactics: ['discovery'] },
      { id: 'T1595', name: 'Active Scanning', tactics: ['reconnaissance'] },
      { id: 'T1657', name: 'Financial Theft', tactics: ['impact'] },
    ],
    profiles: [
      group('G0001', ['T1566.001', 'T1204.002', 'T1053.005', 'T1595'], 'APT-Alpha'),
      group('G0002', ['T1566.001', 'T1204.002', 'T1053.005', 'T1657'], 'APT-Bravo'),
      group('G0003', ['T1566.001', 'T1204.002', 'T1053.005', 'T1595'], 'APT-Charlie'),
      group('G0004', ['T1566.001', 'T1204.002', 'T1053.005', 'T1657'], 'APT-Delta'),
      group('G0005', ['T1082', 'T1059.001', 'T1059.003']),
      group('G0006', ['T1082', 'T1059.001']),
      group('G0007', ['T1082', 'T1059.003']),
      group('G0008', ['T1082', 'T1566.002']),
      group('G0009', ['T1082', 'T1059.001']),
      group('G0010', ['T1082', 'T1059.003']),
      {
        id: 'C0001',
        name: 'Operation Echo',
        kind: 'campaign',
        techniques: ['T1082', 'T1059.001'],
        attributedTo: ['G0006'],
      },
      { id: 'S0001', name: 'Loader-X', kind: 'software', techniques: ['T1082', 'T1059.003', 'T1053.005'] },
    ],
    revoked: { T1086: 'T1059.001' },
    countermeasures: {
      'T1053.005': [{ id: 'D3-SJA', name: 'Scheduled Job Analysis' }],
    },
  };
}
