<?php
declare(strict_types=1);

namespace Mpe;

/** 100 : un défaut de mpe. */
class ErreurInterne extends ErreurMpe
{
}
