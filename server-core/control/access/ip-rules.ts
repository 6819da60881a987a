import { BlockList, isIP } from 'node:net';

export interface IpRuleInput {
  action: 'publish' | 'play';
  policy: 'allow' | 'deny';
  /** `10.0.0.0/8`, `192.168.1.20`, `::1/128`. */
  cidr: string;
  /** Only for this protocol (`rtmp`, `http-flv`, ...); every protocol when absent. */
  protocol?: string;
}

interface CompiledRule extends IpRuleInput {
  list: BlockList;
}

/** Parses `addr[/prefix]`; returns undefined when it is not a valid CIDR (the config schema reports it). */
export function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address, prefixText] = cidr.trim().split('/');
  const version = isIP(address);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * Allow/deny rules by client address, nginx-style: the first rule that matches the action, protocol and address
 * decides; when none matches the client is allowed.
 */
export class IpRules {
  private readonly rules: CompiledRule[];

  constructor(rules: readonly IpRuleInput[]) {
    this.rules = rules.map((rule) => {
      const parsed = parseCidr(rule.cidr);
      if (!parsed) throw new Error(`invalid CIDR ${rule.cidr}`);
      const list = new BlockList();
      list.addSubnet(parsed.address, parsed.prefix, parsed.family);
      return { ...rule, list };
    });
  }

  /** Returns the deciding deny rule's text, or undefined when allowed. */
  denied(action: 'publish' | 'play', protocol: string, ip: string): string | undefined {
    const address = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (isIP(address) === 0) return undefined;
    for (const rule of this.rules) {
      if (rule.action !== action) continue;
      if (rule.protocol && rule.protocol !== protocol) continue;
      if (!rule.list.check(address, family)) continue;
      return rule.policy === 'deny' ? `address ${address} is denied ${action} by rule ${rule.cidr}` : undefined;
    }
    return undefined;
  }
}
