// The Kubernetes emulator in a process of its own, for a benchmark that measures MinisPod
// rather than MinisPod and its stand-in cluster on one thread (as `npm start` runs it, and as
// a real API server is). Prints nothing; sends its kubeconfig over the IPC channel and stops
// when that channel closes.
//
//   fork('bench/emulator-process.ts', [podReadyDelayMs, ingressNamespace], { execArgv: ['--import', 'tsx'] })
import { startKubeEmulator } from '../standins/kube-emulator';

const [podReadyDelayMs, ingressNamespace] = process.argv.slice(2);
const emulator = await startKubeEmulator({ podReadyDelayMs: Number(podReadyDelayMs), namespaces: [ingressNamespace] });
process.send!({ kubeconfig: emulator.kubeconfig() });
process.once('disconnect', () => void emulator.stop().then(() => process.exit(0)));
