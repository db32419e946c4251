class base::ntp_eu (
  Array[String] $servers = ['0.ie.pool.ntp.org', '1.ie.pool.ntp.org'],
) {
  file { '/etc/chrony/sources.d/lab.sources':
    content => $servers.map |$s| { "server ${s} iburst\n" }.join(''),
    mode    => '0644',
  }
}
