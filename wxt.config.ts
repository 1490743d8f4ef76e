import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

// Riposte's manifest. Host access is deliberately narrow: content scripts match http(s) pages (that is the
// product), while every SOAR / EDR endpoint is requested at runtime through optional_host_permissions when the
// analyst saves a connector.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: 'Riposte',
    description:
      'Finds indicators of compromise and ATT&CK / D3FEND ids on SOC consoles, explains them, and acts on them.',
    permissions: [
      'storage',
      'tabs',
      'alarms',
      'contextMenus',
      'unlimitedStorage',
      ...(browser === 'firefox' ? [] : ['offscreen']),
    ],
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    // Enterprise policy (lib/settings/policy.ts); Firefox reads policy from a native manifest instead.
    ...(browser === 'firefox' ? {} : { storage: { managed_schema: 'managed_schema.json' } }),
    action: { default_title: 'Riposte' },
    commands: {
      _execute_action: {
        suggested_key: { default: 'Alt+Shift+R' },
        description: 'Open Riposte',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'riposte@riposte.dev',
              strict_min_version: '128.0',
              // Riposte sends nothing anywhere on its own: only the analyst's confirmed actions reach the endpoints
              // the analyst configured.
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
