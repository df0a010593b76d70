export const CONTROL_PLANE: string;
export const ENVOY: string;
export const PIPED: string;
