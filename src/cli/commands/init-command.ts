import type { Command } from 'commander';
import { initProject } from '../../init/init-project.ts';

interface InitFlags {
  prometheus?: string;
  alertmanager?: string;
  system?: string;
  force?: boolean;
}

/** `firedrill init`: a config and drill skeletons from the user's own monitoring files. */
export function addInitCommand(program: Command): void {
  program
    .command('init')
    .description('write firedrill.config.ts, a baseline and one drill per alert from your prometheus.yml, rule files and alertmanager.yml; lint the rules')
    .option('--prometheus <file>', 'your Prometheus config (default: prometheus.yml, prometheus/, monitoring/ or monitoring/prometheus/)')
    .option('--alertmanager <file>', 'your Alertmanager config (default: alertmanager.yml in the same places, or beside prometheus.yml)')
    .option('--system <name>', "the system's name in the config (default: this directory's name)")
    .option('--force', 'overwrite files init would write')
    .action((opts: InitFlags) => {
      const outcome = initProject({ dir: process.cwd(), ...opts });
      for (const file of outcome.written) console.log(`wrote ${file.path}`);
      if (outcome.findings.length > 0) {
        console.log('');
        console.log(`rule lint: ${outcome.findings.length} finding(s) in your rules:`);
        for (const f of outcome.findings) console.log(`  ${f.file}: ${f.where}: ${f.message}`);
      }
      if (outcome.todos.length > 0) {
        console.log('');
        console.log('to do before the first run:');
        for (const todo of outcome.todos) console.log(`  ${todo}`);
      }
      console.log('');
      console.log('then: npx firedrill run baseline');
    });
}
