# Streams from a primary.
class postgresql::replica (
  String $primary,
) {
  file { '/etc/postgresql/primary_conninfo':
    content => "host=${primary} user=replicator\n",
    owner   => 'postgres',
    mode    => '0640',
  }
}
