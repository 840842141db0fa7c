export { HOP_BY_HOP, connectionTokens, hopByHopNames } from './headers.ts';
