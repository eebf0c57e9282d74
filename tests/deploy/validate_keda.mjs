// KEDA's own validators (npm @kubernetes-models/keda) for the ScaledObject and TriggerAuthentication
// resources read as a JSON list on stdin; one line per resource; exit 1 if any is invalid.
import { readFileSync } from "node:fs";
const { ScaledObject } = await import("@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject");
const { TriggerAuthentication } = await import("@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication");
const kinds = { ScaledObject, TriggerAuthentication };
const docs = JSON.parse(readFileSync(0, "utf8"));
let failed = 0;
for (const doc of docs) {
  try { new kinds[doc.kind](doc).validate(); console.log(`ok ${doc.kind} ${doc.metadata.name}`); }
  catch (e) { failed++; console.log(`invalid ${doc.kind} ${doc.metadata.name}: ${e.message}`); }
}
process.exit(failed ? 1 : 0);
