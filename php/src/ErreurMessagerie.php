<?php
declare(strict_types=1);

namespace Mpe;

/** 8xx : courriers. */
class ErreurMessagerie extends ErreurMpe
{
}
