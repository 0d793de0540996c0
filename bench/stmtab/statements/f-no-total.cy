		CALL () {
			MATCH (d:Document) WHERE d.id > $after
			WITH d ORDER BY d.id LIMIT $first
			RETURN collect(d {.id, .type, .title, .publisher, .url, .date}) AS page
		}
		RETURN -1 AS total, page
--
after=
first:int=21
