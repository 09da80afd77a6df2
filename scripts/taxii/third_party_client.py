"""Drives Vigia's TAXII 2.1 server with the OASIS TC's own client, taxii2-client (not written here).

usage: python3 third_party_client.py <portal base URL> <API key id> <API key>
Needs taxii2-client (and its requests, pytz, six) importable, e.g. PYTHONPATH=<a checkout of oasis-open/cti-taxii-client>.
Prints one JSON line with what it did; exits non-zero when a step fails.
"""
import json
import sys
import uuid
from datetime import datetime, timezone

from taxii2client.v21 import Server, as_pages

base, key_id, key = sys.argv[1:4]
server = Server(f"{base}/taxii2/", user=key_id, password=key)
summary = {"title": server.title}
api_root = server.api_roots[0]
summary["api_root"] = {"title": api_root.title, "versions": api_root.versions,
                       "max_content_length": api_root.max_content_length}
collections = {collection.alias or collection.id: collection for collection in api_root.collections}
summary["collections"] = sorted(collections)
network, inbox = collections["network"], collections["inbox"]

object_ids, pages = [], 0
for envelope in as_pages(network.get_objects, per_request=250):
    pages += 1
    object_ids.extend(obj["id"] for obj in envelope.get("objects", []))
summary["objects"] = {"count": len(object_ids), "distinct": len(set(object_ids)), "pages": pages}

manifest_ids, manifest_pages = [], 0
for envelope in as_pages(network.get_manifest, per_request=300):
    manifest_pages += 1
    manifest_ids.extend(entry["id"] for entry in envelope.get("objects", []))
summary["manifest"] = {"count": len(manifest_ids), "distinct": len(set(manifest_ids)), "pages": manifest_pages}

versioned = sys.argv[4] if len(sys.argv) > 4 else object_ids[0]
summary["versions"] = network.object_versions(versioned)["versions"]
summary["object"] = [obj["id"] for obj in network.get_object(versioned)["objects"]]

now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"
indicator = {
    "type": "indicator", "spec_version": "2.1", "id": f"indicator--{uuid.uuid4()}", "created": now,
    "modified": now, "pattern": "[domain-name:value = 'third-party-client.example']", "pattern_type": "stix",
    "valid_from": now,
}
status = inbox.add_objects({"objects": [indicator]})
status.wait_until_final(poll_interval=0.5, timeout=60)
summary["status"] = {"status": status.status, "total": status.total_count, "success": status.success_count,
                     "failure": status.failure_count, "pending": status.pending_count}
print(json.dumps(summary))
ok = (summary["objects"]["count"] == summary["objects"]["distinct"] == summary["manifest"]["count"]
      and status.status == "complete" and status.success_count == 1)
sys.exit(0 if ok else 1)
