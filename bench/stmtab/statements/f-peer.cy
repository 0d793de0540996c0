MATCH (this:Document)
WITH *
ORDER BY this.id ASC
LIMIT $param0
RETURN this { .id, .title, .date } AS this
--
param0:int=20
