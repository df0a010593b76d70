export const ROOT: string;
export const NODE22: string;
export const SYSTEM_NODE: string | undefined;
