class base::monitoring {
  package { 'prometheus-node-exporter':
    ensure => installed,
  }
}
