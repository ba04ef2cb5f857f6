// Hosts made of Linux network namespaces: each host is a namespace with one veth link to a bridge in a
// "switch" namespace, on a /24 that no route of this machine uses; the test process joins the switch
// too. `destroy` removes every namespace (their links go with them), so nothing is left on failure.
import { runChild, startChild, type RunningChild } from '@platform/core';
import { randomBytes } from 'node:crypto';

export interface Host {
  name: string;
  namespace: string;
  ip: string;
  /** The host's end of its link. */
  link: string;
}

export interface Network {
  hosts: Map<string, Host>;
  /** The test process's address on the switch. */
  rootIp: string;
  /** Starts a command inside the host's namespace (its own process group, see startChild). */
  start(host: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunningChild>;
  /** Link down (the host is cut off) or up again. */
  setLink(host: string, up: boolean): Promise<void>;
  destroy(): Promise<void>;
}

async function ip(...args: string[]): Promise<string> {
  const result = await runChild('ip', args, { timeoutMs: 10_000 });
  if (result.code !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr.toString().trim()}`);
  return result.stdout.toString();
}

/** Undefined when namespaces can be made here, else why not. */
export async function netnsUnavailable(): Promise<string | undefined> {
  const probe = `plprobe-${randomBytes(3).toString('hex')}`;
  try {
    await ip('netns', 'add', probe);
    await ip('netns', 'del', probe);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function freeSubnet(): Promise<string> {
  const routes = await ip('-4', 'route', 'show', 'table', 'all');
  for (let tries = 0; tries < 50; tries++) {
    const subnet = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}`;
    if (!routes.includes(`${subnet}.`)) return subnet;
  }
  throw new Error('no free 10.x.y.0/24');
}

export async function createNetwork(names: string[]): Promise<Network> {
  const id = randomBytes(2).toString('hex');
  const subnet = await freeSubnet();
  const switchNs = `pl${id}-sw`;
  const namespaces = [switchNs];
  const hosts = new Map<string, Host>();
  const rootLink = `pl${id}r`;
  const destroy = async () => {
    // Deleting a namespace deletes the veth ends in it, and with them their peers.
    for (const namespace of namespaces) await ip('netns', 'del', namespace).catch(() => undefined);
    // Removing what may not exist (a setup that failed half-way).
    await ip('link', 'del', rootLink).catch(() => undefined);
  };
  try {
    await ip('netns', 'add', switchNs);
    const inSwitch = (...args: string[]) => ip('-n', switchNs, ...args);
    await inSwitch('link', 'add', 'br0', 'type', 'bridge');
    await inSwitch('link', 'set', 'br0', 'up');
    const attach = async (link: string, peerNamespace: string | undefined, address: string) => {
      const port = `${link}s`;
      await ip('link', 'add', link, 'type', 'veth', 'peer', 'name', port);
      await ip('link', 'set', port, 'netns', switchNs);
      await inSwitch('link', 'set', port, 'master', 'br0');
      await inSwitch('link', 'set', port, 'up');
      const where = peerNamespace === undefined ? [] : ['-n', peerNamespace];
      if (peerNamespace !== undefined) await ip('link', 'set', link, 'netns', peerNamespace);
      await ip(...where, 'addr', 'add', `${address}/24`, 'dev', link);
      await ip(...where, 'link', 'set', link, 'up');
    };
    await attach(rootLink, undefined, `${subnet}.1`);
    for (const [index, name] of names.entries()) {
      const namespace = `pl${id}-${name}`;
      await ip('netns', 'add', namespace);
      namespaces.push(namespace);
      await ip('-n', namespace, 'link', 'set', 'lo', 'up');
      const host: Host = { name, namespace, ip: `${subnet}.${index + 2}`, link: `pl${id}h${index}` };
      await attach(host.link, namespace, host.ip);
      hosts.set(name, host);
    }
  } catch (error) {
    await destroy();
    throw error;
  }
  const hostOf = (name: string): Host => {
    const host = hosts.get(name);
    if (!host) throw new Error(`no host ${name}`);
    return host;
  };
  return {
    hosts,
    rootIp: `${subnet}.1`,
    start: async (name, command, args, env) =>
      startChild('ip', ['netns', 'exec', hostOf(name).namespace, command, ...args], {
        env,
        killGraceMs: 2_000,
      }),
    setLink: async (name, up) => {
      const host = hostOf(name);
      await ip('-n', host.namespace, 'link', 'set', host.link, up ? 'up' : 'down');
    },
    destroy,
  };
}
