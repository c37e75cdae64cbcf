/** Entry point of a B-MMI chain worker thread: runs each chain task it is sent and posts the result back. */
import { parentPort } from "node:worker_threads";
import { runChainTask, type ChainMessage, type ChainTask } from "./chain-task.ts";

const port = parentPort!;
port.on("message", (msg: { index: number; task: ChainTask }) => {
  const reply: ChainMessage = { index: msg.index, result: runChainTask(msg.task) };
  port.postMessage(reply);
});
