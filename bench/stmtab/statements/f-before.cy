		CALL () { MATCH (d:Document) RETURN count(d) AS total }
		CALL () {
			MATCH (d:Document) WHERE d.id > $after
			WITH d ORDER BY d.id LIMIT $first
			RETURN collect(d {.id, .type, .title, .publisher, .url, .date}) AS page
		}
		RETURN total, page
--
after=
first:int=21
