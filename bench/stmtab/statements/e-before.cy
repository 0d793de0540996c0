		CALL () { 
			CALL db.index.fulltext.queryNodes('entity_search', $strict[0]) YIELD node, score
			WITH node, score WHERE $kinds IS NULL OR node.kind IN $kinds
			WITH node, score ORDER BY score DESC, node.id LIMIT $first
			RETURN collect({n: properties(node), score: score}) AS hits }
		CALL (hits) {
			WITH hits WHERE size(hits) = 0 AND size($fuzzy) > 0
			
			CALL db.index.fulltext.queryNodes('entity_search', $fuzzy[0]) YIELD node, score
			WITH node, score WHERE $kinds IS NULL OR node.kind IN $kinds
			WITH node, score ORDER BY score DESC, node.id LIMIT $first
			RETURN collect({n: properties(node), score: score}) AS fuzzyHits
		}
		RETURN hits + fuzzyHits AS hits
--
first:int=10
fuzzy=[+(lutnick^3 OR lutnick* OR lutnick~1)]
kinds=null
strict=[+(lutnick^3 OR lutnick*)]
