		CALL () { RETURN -1 AS total }
		CALL () {
			MATCH (n:Policy) WHERE ($contains IS NULL OR toLower(n.name) CONTAINS $contains OR any(a IN n.aliases WHERE toLower(a) CONTAINS $contains))
			WITH n, n.name AS key
			WHERE $afterKey IS NULL OR key > $afterKey OR (key = $afterKey AND n.id > $afterId)
			WITH n, key ORDER BY key, n.id LIMIT $first
			RETURN collect({n: {id: n.id, kind: n.kind, name: n.name, type: n.type}, key: key, r0: {rels: COLLECT { UNWIND [n] AS e1 MATCH (e1)-[r1:RESTRICTS]->(:Entity) WHERE (coalesce($q0_wFrom, $q0_wTo) IS NULL
		OR coalesce(any(s IN [r1.effSpan] WHERE s[1] >= coalesce($q0_wFrom, s[1]) AND s[0] <= coalesce($q0_wTo, s[0])), false))
	AND ($q0_known IS NULL OR coalesce(r1.knownFrom <= $q0_known, false))
			AND ($q0_afterType IS NULL OR type(r1) > $q0_afterType OR (type(r1) = $q0_afterType AND r1.id > $q0_afterId))
			WITH e1, r1 ORDER BY type(r1), r1.id LIMIT $q0_first
			RETURN {rel: {id: r1.id}, bare: true, type: type(r1), from: e1.id, to: {id: endNode(r1).id, kind: endNode(r1).kind, name: endNode(r1).name, type: endNode(r1).type}} }, total: -1, undated: 0}}) AS page
		}
		RETURN total, page
--
afterId=
afterKey=null
contains=null
first:int=21
q0_afterId=
q0_afterType=null
q0_first:int=21
q0_known=null
q0_wFrom=null
q0_wTo=null
