import { describe, expect, it } from 'vitest';
import { queriedPanels } from './grafana-dashboard.ts';
import { substituteVariables, variablesIn, type ResolvedVariable } from './template-variables.ts';

describe('dashboard variables', () => {
  const vars: ResolvedVariable[] = [
    { name: 'bot', values: ['1', '2'], substitute: '(1|2)' },
    { name: 'bot_id', values: ['7'], substitute: '7' },
    { name: 'env', values: [], substitute: undefined, problem: 'variable $env matches no value' },
  ];

  it('are found in every spelling, the longest name winning and built-ins left out', () => {
    expect(variablesIn('x{bot_id=~"$bot_id", b="${bot:regex}", e="[[env]]"}[$__rate_interval]')).toEqual(['bot_id', 'bot', 'env']);
  });

  it('are replaced by their value; one without a value stays as written', () => {
    expect(substituteVariables('x{a=~"$bot", b="$bot_id", c="${bot:regex}", d="[[bot_id]]", e="$env"}[$__interval]', vars)).toBe('x{a=~"(1|2)", b="7", c="(1|2)", d="7", e="$env"}[$__interval]');
  });
});

describe("a dashboard's panels", () => {
  it('include those inside collapsed rows and nested panels, each with its row, and skip rows and panels without queries', () => {
    const found = queriedPanels({
      title: 'd',
      panels: [
        { type: 'row', title: 'open row' },
        { type: 'timeseries', title: 'a', targets: [{ expr: 'up' }] },
        { type: 'text', title: 'notes' },
        { type: 'row', title: 'collapsed', panels: [{ type: 'stat', title: 'b', targets: [{ expr: 'x' }] }, { type: 'stat', title: 'hidden', targets: [{ expr: 'y', hide: true }] }] },
        { type: 'timeseries', title: 'c', targets: [{ expr: 'z' }] },
      ],
    });
    expect(found.map((p) => [p.row, p.panel.title])).toEqual([['open row', 'a'], ['collapsed', 'b'], ['collapsed', 'c']]);
  });
});
