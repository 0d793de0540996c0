#!/bin/sh
# A stand-in for a team's own extractor, used by the tests of the extractor
# protocol (docs/loading.md#extractor-protocol). It reads the document as JSON on
# stdin and answers as its first argument says: ok, crash, hang, badjson, badquote.
input=$(cat)
case "$input" in
*'"protocol":"tradegraph-extractor/1"'*) ;;
*) echo "extract.sh: no tradegraph-extractor/1 document on stdin" >&2; exit 2 ;;
esac
case "$1" in
ok)
	cat <<'JSON'
{"entities": [
  {"id": "actor:ruritania", "kind": "Actor", "type": "COUNTRY", "name": "Ruritania"},
  {"id": "policy:ruritania-steel-tariff", "kind": "Policy", "type": "TARIFF", "status": "IN_FORCE", "name": "Ruritania's tariff on Japanese steel"}
 ],
 "relationships": [
  {"type": "IMPOSES", "from": "actor:ruritania", "to": "policy:ruritania-steel-tariff", "sentence": 1,
   "quote": "Ruritania imposed a 20 per cent tariff", "confidence": 0.9, "note": "extract.sh: subject, verb, object"},
  {"type": "TARGETS", "from": "policy:ruritania-steel-tariff", "to": "actor:japan", "sentence": 1, "quote": "tariff on Japanese steel"},
  {"type": "CONCERNED_ABOUT", "from": "actor:japan", "to": "policy:ruritania-steel-tariff", "sentence": 2, "quote": "Japan called the tariff unfair"}
 ]}
JSON
	;;
crash)
	echo "extract.sh: model file not found" >&2
	exit 3
	;;
hang)
	exec sleep 60
	;;
badjson)
	echo '{"entities": [ {"id": "actor:ruritania",'
	;;
badquote)
	cat <<'JSON'
{"entities": [{"id": "policy:ruritania-steel-tariff", "kind": "Policy", "type": "TARIFF", "status": "IN_FORCE", "name": "Ruritania's tariff"}],
 "relationships": [
  {"type": "IMPOSES", "from": "actor:japan", "to": "policy:ruritania-steel-tariff", "sentence": 1, "quote": "Ruritania banned Japanese steel"},
  {"type": "IMPOSES", "from": "policy:ruritania-steel-tariff", "to": "actor:japan", "sentence": 1, "quote": "tariff"},
  {"type": "BANS", "from": "actor:japan", "to": "policy:ruritania-steel-tariff", "sentence": 9, "quote": "tariff"}
 ]}
JSON
	;;
*)
	echo "extract.sh: want ok, crash, hang, badjson or badquote" >&2
	exit 2
	;;
esac
