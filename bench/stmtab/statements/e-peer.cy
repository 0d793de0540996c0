CYPHER 5
CALL (*) {
  MATCH (this0:Actor&Entity)
  WHERE this0.name CONTAINS $param0
  WITH this0 { .id, .name, .kind, __resolveType: 'Actor', __id: elementId(this0) } AS this
  RETURN this
  UNION
  MATCH (this1:Meeting&Entity)
  WHERE this1.name CONTAINS $param1
  WITH this1 { .id, .name, .kind, __resolveType: 'Meeting', __id: elementId(this1) } AS this
  RETURN this
  UNION
  MATCH (this2:Commodity&Entity)
  WHERE this2.name CONTAINS $param2
  WITH this2 { .id, .name, .kind, __resolveType: 'Commodity', __id: elementId(this2) } AS this
  RETURN this
  UNION
  MATCH (this3:Policy&Entity)
  WHERE this3.name CONTAINS $param3
  WITH this3 { .id, .name, .kind, __resolveType: 'Policy', __id: elementId(this3) } AS this
  RETURN this
}
WITH this

LIMIT $param4
RETURN this AS this
--
param0=Lutnick
param1=Lutnick
param2=Lutnick
param3=Lutnick
param4:int=10
