export function startContainerCredentialsEndpoint(options: {
  token: string | undefined;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  log?: string;
}): Promise<{ url: string; stop: () => void }>;
