// Validates Gateway API resources (read as a JSON list on stdin) against the Gateway API's own schema, which
// kubernetes-validate does not carry: @kubernetes-models/gateway-api, from npm (package.json).
// Prints one line per resource; exits 1 if any is invalid. Called by deploy/lint.py.
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";

const models = { "gateway.networking.k8s.io/v1 HTTPRoute": HTTPRoute };
let input = "";
for await (const chunk of process.stdin) input += chunk;
for (const { source, resource } of JSON.parse(input)) {
  const name = `${resource.kind.toLowerCase()}/${resource.metadata?.name}`;
  const Model = models[`${resource.apiVersion} ${resource.kind}`];
  if (!Model) {
    console.log(`ERROR ${source}: no schema for ${resource.apiVersion} ${resource.kind}`);
    process.exitCode = 1;
    continue;
  }
  try {
    new Model(resource).validate();
    console.log(`ok    ${source}: ${name} (Gateway API schema)`);
  } catch (error) {
    const details = (error.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join("; ");
    console.log(`ERROR ${source}: ${name}: ${details || error.message}`);
    process.exitCode = 1;
  }
}
