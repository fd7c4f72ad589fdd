/** The vault versions the devnet deploys: the first generation (1) and today's (5, v3-core v4). */
export type DevnetVaultVersion = 1 | 5;
/**
 * What `operator devnet` deploys unless --vault-version says otherwise: today's vault. Apart from
 * deploy.ts so that the command's options read it without loading the deployment code.
 */
export const DEFAULT_DEVNET_VAULT_VERSION: DevnetVaultVersion = 5;
