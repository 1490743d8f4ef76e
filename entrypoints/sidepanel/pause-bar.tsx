import { PauseControls } from '../../components/PauseControls';
import { createPauseModel } from '../../lib/page/pause-model';

// Wiring only, loaded after the panel's first paint: the pause switches read and write the settings (zod).
export function createPauseBar(tabUrl: () => string) {
  const model = createPauseModel(tabUrl);
  return function PauseBar() {
    return (
      <PauseControls
        site={model.site.value}
        pausedHere={model.pausedHere.value}
        pausedEverywhere={model.pausedEverywhere.value}
        lockedEverywhere={model.lockedEverywhere.value}
        error={model.error.value}
        onToggleSite={() => void model.toggleSite()}
        onToggleEverywhere={() => void model.toggleEverywhere()}
      />
    );
  };
}
