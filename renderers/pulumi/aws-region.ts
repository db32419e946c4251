/** Which AWS region a lab region is: the one rule shared by validate and the stack config. */

/** An AWS region name such as eu-west-1 or us-gov-west-1 (lab regions may be broader). */
const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$/;

/**
 * The AWS region of a lab region: mapped by `lab.regions.aws` (`regions.aws`), else the name
 * itself if it is an AWS region name; undefined when neither (or no region).
 */
export function awsRegionOf(
  regions: Readonly<Record<string, Readonly<Record<string, string>>>>,
  region: string | null,
): string | undefined {
  if (region === null) return undefined;
  const aws = regions.aws;
  if (aws && Object.hasOwn(aws, region)) return aws[region];
  return AWS_REGION.test(region) ? region : undefined;
}
