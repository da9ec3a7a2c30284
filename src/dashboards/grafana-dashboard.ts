/** The parts of a Grafana dashboard JSON the checks read (schema version 30+). */
export interface GrafanaTarget {
  readonly refId?: string;
  readonly expr?: string;
  readonly hide?: boolean;
  readonly interval?: string;
}

export interface GrafanaPanel {
  readonly id?: number;
  readonly title?: string;
  readonly type: string;
  readonly targets?: readonly GrafanaTarget[];
  /** A collapsed row holds its panels here; an expanded row's follow it at the top level. */
  readonly panels?: readonly GrafanaPanel[];
  readonly interval?: string;
  readonly maxDataPoints?: number;
}

export interface GrafanaVariable {
  readonly name: string;
  readonly type: 'query' | 'custom' | 'constant' | 'interval' | 'datasource' | 'textbox' | string;
  /** A query variable's query: a string, or `{ query: string }` in newer schema versions. */
  readonly query?: string | { readonly query?: string };
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  readonly allValue?: string | null;
  readonly regex?: string;
  readonly current?: { readonly value?: string | readonly string[]; readonly text?: string | readonly string[] };
  readonly options?: readonly { readonly value: string }[];
}

export interface GrafanaDashboard {
  readonly uid?: string;
  readonly title: string;
  readonly panels?: readonly GrafanaPanel[];
  readonly templating?: { readonly list?: readonly GrafanaVariable[] };
}

/** A panel that queries, with the row it sits under (rows and nested panels flattened, in order). */
export interface QueriedPanel {
  readonly row: string | undefined;
  readonly panel: GrafanaPanel;
}

/** Every panel with queries, rows (collapsed or not) walked in order; row panels themselves query nothing. */
export function queriedPanels(dashboard: GrafanaDashboard): QueriedPanel[] {
  const out: QueriedPanel[] = [];
  let row: string | undefined;
  const walk = (panels: readonly GrafanaPanel[], inRow: string | undefined) => {
    for (const panel of panels) {
      if (panel.type === 'row') {
        row = panel.title;
        walk(panel.panels ?? [], panel.title);
        continue;
      }
      if ((panel.targets ?? []).some((t) => t.expr && !t.hide)) out.push({ row: inRow ?? row, panel });
      if (panel.panels) walk(panel.panels, inRow ?? row);
    }
  };
  walk(dashboard.panels ?? [], undefined);
  return out;
}
