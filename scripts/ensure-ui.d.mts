/** Builds the UI when web/dist is missing or older than its sources; false when the build failed. */
export function ensureUiBuilt(): boolean;
