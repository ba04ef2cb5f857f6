import type { ArtifactManifest } from '@platform/ml';

/** A minimal digits manifest (for checks that only need one to hold). */
export const manifestOf = (id: string): ArtifactManifest => ({
  id,
  kind: 'digits',
  created_at: new Date().toISOString(),
  frameworks: {},
  hyperparameters: {},
  metrics: {},
  extra: {},
  files: [],
});
