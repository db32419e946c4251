# A database server.
class db (
  String $version,
  Integer[1, 10000] $max_connections = 100,
  Enum['md5', 'scram-sha-256'] $auth = 'scram-sha-256',
  Optional[Array[String]] $extensions = undef,
) {
  notice("db ${version}")
}
