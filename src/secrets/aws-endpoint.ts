import type { AwsService } from './transport.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The partitions the fast transport knows, with the region patterns and DNS suffixes of the SDK's
 * own partition table (@aws-sdk/core, util-endpoints partitions). A region outside them (the ISO
 * partitions, the European Sovereign Cloud, a region not yet in any pattern) is left to the SDK.
 */
const PARTITIONS = [
  { id: 'aws', region: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, dnsSuffix: 'amazonaws.com' },
  { id: 'aws-cn', region: /^cn-\w+-\d+$/, dnsSuffix: 'amazonaws.com.cn' },
  { id: 'aws-us-gov', region: /^us-gov-\w+-\d+$/, dnsSuffix: 'amazonaws.com' },
] as const;

/** The service's name in AWS_ENDPOINT_URL_<NAME> (its SDK service id, upper case with underscores) and in host names. */
const SERVICES: Record<AwsService, { envName: string; host: string }> = {
  secretsmanager: { envName: 'AWS_ENDPOINT_URL_SECRETS_MANAGER', host: 'secretsmanager' },
  ssm: { envName: 'AWS_ENDPOINT_URL_SSM', host: 'ssm' },
};

export const knownRegion = (region: string): boolean => PARTITIONS.some((p) => p.region.test(region));

/** An endpoint given in the environment, as the SDK reads it: the service's own variable first, then AWS_ENDPOINT_URL. */
export function configuredEndpoint(service: AwsService, env: Env): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  return env[SERVICES[service].envName] || env.AWS_ENDPOINT_URL || undefined;
}

/** Where a call of `service` in `region` goes: the configured endpoint, else the partition's regional one. */
export function endpointOf(service: AwsService, region: string, env: Env): URL {
  const configured = configuredEndpoint(service, env);
  if (configured !== undefined) return new URL(configured);
  const partition = PARTITIONS.find((p) => p.region.test(region));
  if (partition === undefined) throw new Error(`region ${region} is in no partition the fast transport knows`);
  return new URL(`https://${SERVICES[service].host}.${region}.${partition.dnsSuffix}`);
}
