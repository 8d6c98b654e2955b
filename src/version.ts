// The tool's version, injected at build time from package.json (tests see the dev marker).
declare const __AGENT_READY_VERSION__: string | undefined;

export const toolVersion: string = typeof __AGENT_READY_VERSION__ === 'string' ? __AGENT_READY_VERSION__ : '0.0.0-dev';
