# A PostgreSQL server; replicas authenticate with the replication password.
class postgresql::server (
  String  $version = '16',
  Integer $max_connections = 100,
) {
  package { "postgresql-${version}":
    ensure => installed,
  }

  $replication_password = lab::secret('postgres/replication-password')

  file { "/etc/postgresql/${version}/main/replication.pass":
    content => $replication_password,
    owner   => 'postgres',
    mode    => '0600',
    require => Package["postgresql-${version}"],
  }

  service { 'postgresql':
    ensure => running,
    enable => true,
  }
}
