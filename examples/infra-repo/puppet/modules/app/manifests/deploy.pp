# Pulls the application release with a read-only deploy key.
class app::deploy {
  file { '/srv/app/.ssh/deploy_key':
    content => lab::secret('app/deploy-key'),
    mode    => '0600',
  }
}
