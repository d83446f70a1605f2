// Starts `schedc lsp` for .sched files; everything else comes from the server.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("schedc").get("command", ["schedc", "lsp"]);
  client = new LanguageClient(
    "schedc",
    "schedc",
    { command, args },
    { documentSelector: [{ language: "sched" }] }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
