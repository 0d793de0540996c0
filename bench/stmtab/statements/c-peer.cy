MATCH (this:Policy&Entity)
WITH *
ORDER BY this.name ASC
LIMIT $param0
CALL (this) {
  MATCH (this)-[this0:RESTRICTS]->(this1:Commodity&Entity)
  WITH DISTINCT this1
  WITH this1 { .id, .name } AS this1
  RETURN collect(this1) AS var2
}
RETURN this { .id, .name, restricts: var2 } AS this
--
param0:int=20
