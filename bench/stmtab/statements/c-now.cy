		
		CALL () {
			MATCH (n:Policy) WHERE true
			WITH n, n.name AS key
			
			WITH n, key ORDER BY key, n.id LIMIT $first
			RETURN collect({n: {id: n.id, kind: n.kind, name: n.name, type: n.type}, key: key, r0: {rels: COLLECT { UNWIND [n] AS e1 MATCH (e1)-[r1:RESTRICTS]->(:Entity)
			WITH e1, r1 ORDER BY type(r1), r1.id LIMIT $q0_first
			RETURN {rel: {id: r1.id}, bare: true, type: type(r1), from: e1.id, to: {id: endNode(r1).id, kind: endNode(r1).kind, name: endNode(r1).name, type: endNode(r1).type}} }, total: -1, undated: 0}}) AS page
		}
		RETURN -1 AS total, page
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
statuses=null
types=null
