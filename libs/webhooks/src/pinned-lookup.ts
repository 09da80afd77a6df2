import type { LookupFunction } from 'node:net';
import { WebhookTarget } from './webhook-url.policy';

/**
 * A `lookup` for http(s).request that answers with the address the policy checked, whatever DNS says now: the
 * connection goes where it was vetted (no DNS rebinding), while TLS still verifies the certificate for the host name.
 */
export function pinnedLookup(target: WebhookTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}
